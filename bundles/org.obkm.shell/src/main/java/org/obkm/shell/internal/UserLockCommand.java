package org.obkm.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.obkm.api.user.UserStoreRegistry;

/** {@code obkm:user-lock}: locks a user of the primary user store until user-unlock; sign-in is refused meanwhile. */
@Service
@Command(scope = "obkm", name = "user-lock", description = "Locks a user of the primary user store until user-unlock; sign-in is refused meanwhile")
public class UserLockCommand extends OperatorCommand {

    @Reference
    UserStoreRegistry registry;

    @Argument(index = 0, name = "username", required = true, description = "The username; DOMAIN/username for a writable secondary store")
    @Completion(UserNameCompleter.class)
    String username;

    @Override
    protected Object run() {
        WritableUsers target = WritableUsers.of(registry, username);
        target.admin().lock(target.username());
        System.out.println("User " + username + " locked.");
        return null;
    }
}
