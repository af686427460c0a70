package org.obkm.shell.internal;

import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.obkm.api.user.StoreDiagnostics;
import org.obkm.api.user.StoreDiagnostics.Step;
import org.obkm.api.user.UserStore;
import org.obkm.api.user.UserStoreDeployments;
import org.obkm.api.user.UserStoreRegistry;
import org.obkm.api.user.UserStoreStatus;

/** {@code obkm:userstore-test DOMAIN}: the store's self test (connect, bind, a sample search) with timings. */
@Service
@Command(scope = "obkm", name = "userstore-test", description = "Tests a user store: connect, bind, sample search, with timings")
public class UserStoreTestCommand extends OperatorCommand {

    @Reference
    UserStoreRegistry registry;

    @Reference(optional = true)
    UserStoreDeployments deployments;

    @Completion(UserStoreDomainCompleter.class)
    @Argument(index = 0, name = "domain", required = true, description = "The store's domain, e.g. EXAMPLE.COM")
    String domain;

    @Override
    protected Object run() throws Exception {
        Optional<UserStore> store = registry.store(domain);
        if (store.isEmpty()) {
            UserStoreStatus file = UserStoreRows.fileOf(deployments, domain);
            String why = file == null ? "no store and no user store file has this domain"
                    : file.state() + " (" + file.source() + ")" + (file.lastError().isEmpty() ? "" : ": " + file.lastError());
            throw failure("user store " + domain + " is not up: " + why + "; domains up: "
                    + String.join(", ", registry.domains()));
        }
        Optional<StoreDiagnostics> diagnostics = store.get().as(StoreDiagnostics.class);
        if (diagnostics.isEmpty()) {
            System.out.println("User store " + store.get().domain() + " is up; its type offers no self test.");
            return null;
        }
        List<Step> steps = diagnostics.get().test();
        ShellTable table = new ShellTable();
        table.column("Step");
        table.column("Result");
        table.column("Time").alignRight();
        table.column("Detail").maxSize(90).wrap();
        for (Step s : steps) {
            table.addRow().addContent(s.name(), s.ok() ? "OK" : "FAILED", s.took().toMillis() + " ms", s.detail());
        }
        table.print(System.out);
        boolean ok = !steps.isEmpty() && steps.stream().allMatch(Step::ok);
        if (!ok) {
            throw failure("user store " + store.get().domain() + " FAILED its self test");
        }
        System.out.println("User store " + store.get().domain() + ": all checks passed");
        return null;
    }
}
