package org.obkm.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.obkm.api.user.UserStoreRegistry;

/** Completes the domains of the user stores up on this node. */
@Service
public class UserStoreDomainCompleter implements Completer {

    @Reference
    UserStoreRegistry registry;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter(registry.domains(), false);
        return delegate.complete(session, commandLine, candidates);
    }
}
