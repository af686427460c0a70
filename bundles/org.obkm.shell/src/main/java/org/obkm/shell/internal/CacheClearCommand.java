package org.obkm.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.obkm.api.cluster.CacheRegions;
import org.obkm.api.cluster.InvalidationBus;

/**
 * {@code obkm:cache-clear [CACHE]}: empties one cache, or all of them, on every node of the cluster
 * through the invalidation bus (after a change made in the database behind OBKM's back).
 */
@Service
@Command(scope = "obkm", name = "cache-clear", description = "Clears a cache (or every cache) on every node of the cluster;"
        + " the caches refill from the database on the next lookups")
public class CacheClearCommand extends OperatorCommand {

    @Reference
    InvalidationBus bus;

    @Reference
    CacheRegions caches;

    @Completion(CacheNameCompleter.class)
    @Argument(index = 0, name = "cache", description = "The cache (see obkm:cache-stats); every cache when absent")
    String cache;

    @Override
    protected Object run() {
        List<String> known = caches.regions().stream().map(CacheRegions.Region::name).toList();
        if (cache != null && !known.contains(cache)) {
            throw new IllegalArgumentException("no cache " + cache + " on this node; caches: " + String.join(", ", known));
        }
        List<String> targets = cache == null ? known : List.of(cache);
        for (String region : targets) {
            boolean all = bus.invalidate(region, null);
            System.out.println("Cleared cache " + region + (all ? " on every node."
                    : "; not every node confirmed in time (they clear when they rejoin)."));
        }
        return null;
    }
}
