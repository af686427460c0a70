package org.obkm.userstore.deployer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.obkm.api.health.HealthIndicator.Status;
import org.obkm.api.user.UserStoreDeployments;
import org.obkm.api.user.UserStoreStatus;
import org.obkm.api.user.UserStoreStatus.State;

class UserStoresHealthTest {

    private static UserStoresHealth health(UserStoreStatus... statuses) {
        return new UserStoresHealth(new UserStoreDeployments() {
            @Override
            public List<UserStoreStatus> list() {
                return List.of(statuses);
            }

            @Override
            public String directory() {
                return "/shared/userstores";
            }
        });
    }

    private static UserStoreStatus status(String domain, String file, State state) {
        return new UserStoreStatus(domain, "ldap", "/shared/userstores/" + file, state, "", Instant.EPOCH);
    }

    @Test
    void countsActiveStoresAndNamesTheOthers() {
        Status s = health(status("EXAMPLE.COM", "EXAMPLE_COM.xml", State.ACTIVE),
                status("BRANCH.COM", "BRANCH_COM.cfg", State.ACTIVE),
                status("", "garbage.xml", State.FAILED),
                status("SAMPLE.COM", "SAMPLE_COM.cfg", State.WAITING_FOR_TYPE)).check();
        assertEquals("2 active, 1 failed (garbage.xml), 1 waiting for their type (SAMPLE.COM)", s.detail());
        assertTrue(s.up());
    }

    @Test
    void staysUpWhenEveryStoreFailedSinceThePrimaryStoreAndTokensStillServe() {
        Status s = health(status("EXAMPLE.COM", "EXAMPLE_COM.xml", State.FAILED)).check();
        assertTrue(s.up(), "a broken shared file must not take every node out of the load balancer");
        assertEquals("0 active, 1 failed (EXAMPLE.COM)", s.detail());
    }

    @Test
    void noFilesIsZeroActive() {
        assertEquals("0 active", health().check().detail());
    }
}
