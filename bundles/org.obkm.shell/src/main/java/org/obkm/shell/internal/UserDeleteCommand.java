package org.obkm.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.obkm.api.user.UserStoreRegistry;

/** {@code obkm:user-delete}: removes a user from the primary store; sign-in fails on every node when this returns. */
@Service
@Command(scope = "obkm", name = "user-delete", description = "Deletes a user from the primary user store")
public class UserDeleteCommand extends OperatorCommand {

    @Reference
    UserStoreRegistry registry;

    @Argument(index = 0, name = "username", required = true, description = "The username; DOMAIN/username for a writable secondary store")
    @Completion(UserNameCompleter.class)
    String username;

    @Override
    protected Object run() {
        WritableUsers target = WritableUsers.of(registry, username);
        if (!target.admin().delete(target.username())) {
            throw new IllegalArgumentException("no user named " + username);
        }
        System.out.println("User " + username + " deleted.");
        return null;
    }
}
