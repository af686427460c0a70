package org.obkm.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.obkm.api.user.UserQuery;

/** Completes usernames of the primary store from what has been typed so far (at most 100). */
@Service
public class UserNameCompleter implements Completer {

    @Reference(filter = UserAddCommand.PRIMARY)
    UserQuery users;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        String typed = commandLine.getCursorArgument();
        String prefix = typed == null ? "" : typed.substring(0, commandLine.getArgumentPosition());
        users.search(prefix, 100).stream().map(u -> u.username()).filter(n -> n.startsWith(prefix))
                .forEach(delegate.getStrings()::add);
        return delegate.complete(session, commandLine, candidates);
    }
}
