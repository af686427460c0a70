package org.obkm.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.obkm.api.user.UserStore;
import org.obkm.api.user.UserStoreDeployments;
import org.obkm.api.user.UserStoreRegistry;
import org.obkm.api.user.UserStoreStatus;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * {@code obkm:userstore-list}: every user store of this node: the primary one, the files of the shared
 * user store folder with their state (also those that failed or wait for their type's bundle), and
 * stores registered as services by other bundles.
 */
@Service
@Command(scope = "obkm", name = "userstore-list", description = "Lists user stores: domain, type, source file, state, last error")
public class UserStoreListCommand extends OperatorCommand {

    @Reference
    UserStoreRegistry registry;

    @Reference(optional = true)
    UserStoreDeployments deployments;

    @Option(name = "--json", description = "Print JSON for scripts")
    boolean json;

    @Override
    protected Object run() {
        List<UserStoreStatus> rows = UserStoreRows.all(registry, deployments);
        if (json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (UserStoreStatus s : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("domain", s.domain());
                m.put("type", s.type());
                m.put("source", s.source());
                m.put("state", s.state().name());
                m.put("since", UserStoreRows.known(s.since()) ? s.since().toString() : null);
                m.put("last_error", s.lastError());
                out.add(m);
            }
            System.out.println(JSONObjectUtils.toJSONString(Map.of("userstores", out)));
            return null;
        }
        if (deployments != null) {
            System.out.println("User store folder: " + deployments.directory());
        } else {
            System.out.println("The user store deployer is not running: only stores registered as services are listed.");
        }
        ShellTable table = new ShellTable();
        table.column("Domain");
        table.column("Type");
        table.column("State");
        table.column("Since");
        table.column("Source");
        table.column("Last error").maxSize(80).wrap();
        for (UserStoreStatus s : rows) {
            table.addRow().addContent(s.domain(), s.type(), s.state(),
                    UserStoreRows.known(s.since()) ? s.since() : "", s.source(), s.lastError());
        }
        table.print(System.out);
        if (registry.domains().stream().noneMatch(UserStore.PRIMARY::equals)) {
            System.out.println("The primary user store is not up: sign-ins with plain usernames fail.");
        }
        return null;
    }
}
