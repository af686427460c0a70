package org.obkm.shell.internal;

import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.Row;
import org.apache.karaf.shell.support.table.ShellTable;
import org.obkm.api.user.GroupLookup;
import org.obkm.api.user.ResolvedName;
import org.obkm.api.user.User;
import org.obkm.api.user.UserQuery;
import org.obkm.api.user.UserStoreRegistry;

/**
 * {@code obkm:user-find DOMAIN/filter}: users of any store whose username or display name contains the
 * filter; {@code DOMAIN/} lists the first users of a domain, a filter without domain searches the primary
 * store. Shows the subject ({@code sub}) their tokens carry.
 */
@Service
@Command(scope = "obkm", name = "user-find", description = "Finds users of a user store: DOMAIN/filter (a plain filter: the primary store)")
public class UserFindCommand extends OperatorCommand {

    @Reference
    UserStoreRegistry registry;

    @Argument(index = 0, name = "query", required = true,
            description = "DOMAIN/filter, DOMAIN/ for all, or a filter for the primary store")
    String query;

    @Option(name = "--limit", aliases = "-l", description = "At most this many users (default 100)")
    int limit = 100;

    @Option(name = "--groups", aliases = "-g", description = "Also show each user's groups (stores that read groups)")
    boolean groups;

    @Override
    protected Object run() {
        ResolvedName target = target();
        Optional<UserQuery> search = target.as(UserQuery.class);
        if (search.isEmpty()) {
            System.out.println("User store " + target.domain() + " cannot search users.");
            return null;
        }
        List<User> found;
        try {
            found = search.get().search(target.username().isEmpty() ? null : target.username(), limit);
        } catch (IllegalStateException e) {
            System.out.println("User store " + target.domain() + ": " + e.getMessage());
            return null;
        }
        Optional<GroupLookup> groupLookup = groups ? target.as(GroupLookup.class) : Optional.empty();
        ShellTable table = new ShellTable();
        table.column("Username");
        table.column("Display name");
        table.column("Locked");
        table.column("Subject (sub)");
        if (groupLookup.isPresent()) {
            table.column("Groups").maxSize(60).wrap();
        }
        for (User u : found) {
            Row row = table.addRow();
            row.addContent(u.username(), u.displayName(), u.locked() ? "yes" : "", u.subject());
            groupLookup.ifPresent(g -> row.addContent(String.join(", ", g.groupsOf(u.username()))));
        }
        table.print(System.out);
        System.out.println(found.size() + " user(s) in " + target.domain()
                + (found.size() == limit ? " (the first " + limit + " only: narrow the filter or raise --limit)" : ""));
        return null;
    }

    /** The store and filter the query names; "DOMAIN/" (nothing after the separator) lists all. */
    private ResolvedName target() {
        Optional<ResolvedName> resolved = registry.resolve(query);
        if (resolved.isPresent()) {
            return resolved.get();
        }
        for (String domain : registry.domains()) {
            if (query.length() > domain.length() && query.regionMatches(true, 0, domain, 0, domain.length())
                    && !Character.isLetterOrDigit(query.charAt(domain.length()))
                    && query.substring(domain.length() + 1).isBlank()) {
                return new ResolvedName(registry.store(domain).orElseThrow(), "");
            }
        }
        throw new IllegalArgumentException("no user store for '" + query + "'; domains up: "
                + String.join(", ", registry.domains()) + " (see obkm:userstore-list)");
    }
}
