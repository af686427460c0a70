package org.obkm.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.obkm.api.user.UserAdmin;

/** {@code obkm:user-unlock}: unlocks a user of the primary user store (also a lockout after failed sign-ins). */
@Service
@Command(scope = "obkm", name = "user-unlock", description = "Unlocks a user of the primary user store (also a lockout after failed sign-ins)")
public class UserUnlockCommand implements Action {

    @Reference(filter = UserAddCommand.PRIMARY)
    UserAdmin users;

    @Argument(index = 0, name = "username", required = true, description = "The username")
    @Completion(UserNameCompleter.class)
    String username;

    @Override
    public Object execute() {
        users.unlock(username);
        System.out.println("User " + username + " unlocked.");
        return null;
    }
}
