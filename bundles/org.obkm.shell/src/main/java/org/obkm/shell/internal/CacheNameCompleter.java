package org.obkm.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.obkm.api.cluster.CacheRegions;

/** Completes the names of this node's caches. */
@Service
public class CacheNameCompleter implements Completer {

    @Reference
    CacheRegions caches;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        List<String> names = caches.regions().stream().map(CacheRegions.Region::name).toList();
        return new StringsCompleter(names, false).complete(session, commandLine, candidates);
    }
}
