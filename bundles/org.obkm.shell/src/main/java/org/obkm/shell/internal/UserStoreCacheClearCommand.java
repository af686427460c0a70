package org.obkm.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.obkm.api.cluster.InvalidationBus;
import org.obkm.api.user.UserCacheControl;
import org.obkm.api.user.UserStore;
import org.obkm.api.user.UserStoreRegistry;

/**
 * {@code obkm:userstore-cache-clear DOMAIN [USERNAME]}: drops what every node of the cluster caches of a
 * directory's users (after a change made in the directory itself, before the cache's time to live ends).
 */
@Service
@Command(scope = "obkm", name = "userstore-cache-clear", description = "Clears the cached users of a user store on every node of the cluster")
public class UserStoreCacheClearCommand extends OperatorCommand {

    @Reference
    InvalidationBus bus;

    @Reference
    UserStoreRegistry registry;

    @Completion(UserStoreDomainCompleter.class)
    @Argument(index = 0, name = "domain", required = true, description = "The store's domain")
    String domain;

    @Argument(index = 1, name = "username", description = "Only this user (without domain)")
    String username;

    @Override
    protected Object run() {
        UserStore store = registry.store(domain).orElseThrow(() -> new IllegalArgumentException(
                "no user store " + domain + " is up on this node (see obkm:userstore-list)"));
        if (store.as(UserCacheControl.class).isEmpty()) {
            System.out.println("User store " + store.domain() + " caches nothing.");
            return null;
        }
        String key = username == null ? store.domain() : store.domain() + "/" + username;
        boolean all = bus.invalidate(UserCacheControl.REGION, key);
        System.out.println("Cleared " + (username == null ? "all cached users" : "cached user " + username) + " of "
                + store.domain() + (all ? " on every node." : "; not every node confirmed in time (they clear when they rejoin)."));
        return null;
    }
}
