package org.obkm.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.obkm.api.client.ClientPolicies;

/** Completes the names of the configured client profiles. */
@Service
public class ProfileCompleter implements Completer {

    @Reference
    ClientPolicies policies;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(policies.profileNames()).complete(session, commandLine, candidates);
    }
}
