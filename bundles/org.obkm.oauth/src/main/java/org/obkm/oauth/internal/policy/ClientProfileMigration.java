package org.obkm.oauth.internal.policy;

import java.util.List;
import java.util.Optional;

import org.obkm.api.client.Client;
import org.obkm.api.client.ClientService;
import org.obkm.api.client.ClientUpdate;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings stored client records up to the profile names of this version, once, at start on any node.
 *
 * <p>A record that names {@code fapi2} (before version 0.2) is renamed to {@code fapi2-message-signing},
 * which keeps its behaviour, with its requirements as stored; a configuration that still defines a profile
 * {@code fapi2} of its own keeps such records as they are. Until renamed, such a record is held to
 * {@code fapi2-message-signing} all the same ({@link ClientProfiles#profileOf}).
 *
 * <p>It also moves the profile of each client registered before client records held it into its record:
 * the {@code profile.client.<client_id>} key of {@code org.obkm.oauth.cfg} if there is one, else the
 * default profile. A client that does not meet that profile (a FAPI client with a client secret,
 * say) keeps no stored profile and is held to it all the same, so it is refused until an operator
 * changes it ({@code obkm:client-update <id> --profile ...}); the log says which and why. Any node does
 * it at start; a record that has its profile is never touched again.
 */
@Component(immediate = true)
public final class ClientProfileMigration {

    private static final Logger LOG = LoggerFactory.getLogger(ClientProfileMigration.class);

    @Activate
    public ClientProfileMigration(@Reference ClientService clients, @Reference ClientProfiles profiles) {
        migrate(clients, profiles);
        rename(clients, profiles);
    }

    /** Renames the stored {@code fapi2} of earlier versions; returns how many records were renamed. */
    public static int rename(ClientService clients, ClientProfiles profiles) {
        List<Client> pending;
        try {
            pending = clients.list().stream().filter(c -> profiles.isLegacyName(c.policy().profile())).toList();
        } catch (RuntimeException e) {
            LOG.warn("Client profiles not renamed now ({}); the next start tries again", e.toString());
            return 0;
        }
        int renamed = 0;
        for (Client c : pending) {
            try {
                clients.update(c.clientId(), new ClientUpdate(null, null, null, null, null, null, null,
                        ClientProfiles.FAPI2_MESSAGE_SIGNING, c.policy().parRequired(), c.policy().senderConstrained()));
                renamed++;
                LOG.info("Client {}: profile fapi2 renamed {} (same checks)", c.clientId(),
                        ClientProfiles.FAPI2_MESSAGE_SIGNING);
            } catch (IllegalStateException e) {
                LOG.warn("Client profiles not renamed now ({}); the next start tries again", e.getMessage());
                return renamed;
            } catch (IllegalArgumentException e) {
                LOG.warn("Client {} keeps profile fapi2 in its record, held to {}: {}", c.clientId(),
                        ClientProfiles.FAPI2_MESSAGE_SIGNING, e.getMessage());
            }
        }
        return renamed;
    }

    /** Returns how many records got their profile. */
    public static int migrate(ClientService clients, ClientProfiles profiles) {
        List<Client> pending;
        try {
            pending = clients.list().stream().filter(c -> !c.policy().assigned()).toList();
        } catch (RuntimeException e) {
            LOG.warn("Client profiles not moved into the client records now ({}); the next start tries again",
                    e.toString());
            return 0;
        }
        int moved = 0;
        for (Client c : pending) {
            Optional<String> profile = profiles.legacyProfile(c.clientId());
            if (profile.isEmpty()) {
                return moved;
            }
            try {
                clients.update(c.clientId(), ClientUpdate.profile(profile.get()));
                moved++;
                LOG.info("Client {} now has profile {} in its record{}", c.clientId(), profile.get(),
                        profiles.hasLegacyKey(c.clientId())
                                ? "; remove profile.client." + c.clientId() + " from org.obkm.oauth.cfg" : "");
            } catch (IllegalStateException e) {
                LOG.warn("Client profiles not moved into the client records now ({}); the next start tries again",
                        e.getMessage());
                return moved;
            } catch (IllegalArgumentException e) {
                LOG.warn("Client {} does not meet its profile {} ({}); it is refused until changed:"
                        + " obkm:client-update {} --profile <profile>", c.clientId(), profile.get(), e.getMessage(),
                        c.clientId());
            }
        }
        return moved;
    }
}
