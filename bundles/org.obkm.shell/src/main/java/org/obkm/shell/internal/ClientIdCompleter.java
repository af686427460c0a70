package org.obkm.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.obkm.api.client.ClientService;

/** Completes client IDs. */
@Service
public class ClientIdCompleter implements Completer {

    @Reference
    ClientService clients;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        clients.list().forEach(c -> delegate.getStrings().add(c.clientId()));
        return delegate.complete(session, commandLine, candidates);
    }
}
