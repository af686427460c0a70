package org.obkm.shell.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.obkm.api.user.User;
import org.obkm.api.user.UserQuery;

import com.nimbusds.jose.util.JSONObjectUtils;

/** {@code obkm:user-list}: users of the primary store, optionally filtered. */
@Service
@Command(scope = "obkm", name = "user-list", description = "Lists users of the primary user store")
public class UserListCommand extends OperatorCommand {

    @Reference(filter = UserAddCommand.PRIMARY)
    UserQuery users;

    @Option(name = "--filter", aliases = "-f", description = "Only users whose username or display name contains this, ignoring case")
    String filter;

    @Option(name = "--limit", aliases = "-l", description = "At most this many users (default 1000)")
    int limit = 1000;

    @Option(name = "--json", description = "Print JSON for scripts")
    boolean json;

    @Override
    protected Object run() {
        List<User> found = users.search(filter, limit);
        if (json) {
            System.out.println(JSONObjectUtils.toJSONString(Map.of("users", found.stream().map(UserListCommand::toJson).toList())));
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Username");
        table.column("Display name");
        table.column("Locked");
        table.column("ID");
        for (User u : found) {
            table.addRow().addContent(u.username(), u.displayName(), u.locked() ? "yes" : "", u.id());
        }
        table.print(System.out);
        if (found.size() == limit) {
            System.out.println("(the first " + limit + " only: narrow with --filter or raise --limit)");
        }
        return null;
    }

    private static Map<String, Object> toJson(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("domain", u.domain());
        m.put("username", u.username());
        m.put("display_name", u.displayName());
        m.put("locked", u.locked());
        m.put("attributes", u.attributes());
        return m;
    }
}
