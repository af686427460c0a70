package org.obkm.shell.internal;

import java.util.Locale;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.obkm.api.cluster.CacheRegions;
import org.obkm.api.cluster.CacheRegions.Region;

/** {@code obkm:cache-stats}: this node's caches, their size and hit ratio, and the invalidations of each. */
@Service
@Command(scope = "obkm", name = "cache-stats", description = "Shows this node's caches: size, hit ratio, invalidations"
        + " sent and received (counts since the node started; - where a cache does not count)")
public class CacheStatsCommand extends OperatorCommand {

    @Reference
    CacheRegions caches;

    @Override
    protected Object run() {
        ShellTable table = new ShellTable();
        table.column("Cache");
        table.column("Size").alignRight();
        table.column("Hits").alignRight();
        table.column("Misses").alignRight();
        table.column("Hit ratio").alignRight();
        table.column("Invalidations sent").alignRight();
        table.column("Invalidations received").alignRight();
        for (Region r : caches.regions()) {
            table.addRow().addContent(r.name(), count(r.size()), count(r.hits()), count(r.misses()),
                    r.hitRatio() < 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * r.hitRatio()),
                    r.invalidationsSent(), r.invalidationsReceived());
        }
        table.print(System.out);
        return null;
    }

    private static String count(long n) {
        return n < 0 ? "-" : Long.toString(n);
    }
}
