package org.obkm.itests.example.userstore.internal;

import java.util.Map;

import org.obkm.api.user.UserStore;
import org.obkm.api.user.spi.UserStoreFactory;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The factory of the {@value #TYPE} user store type: an example of the user store SPI for authors of
 * store types, and the third type of the tests (beside {@code jdbc} and {@code ldap}) that shows a
 * type arriving and leaving as a bundle in {@code deploy/}.
 *
 * <p>Everything a store type bundle needs is here: one DS component registering
 * {@link UserStoreFactory} with {@value UserStoreFactory#TYPE_PROPERTY} (what a {@code .cfg} file's
 * {@code type} names) and {@value UserStoreFactory#CLASS_PROPERTY} (what an XML file's
 * {@code <UserStoreManager class="...">} names), and a store class implementing the capability
 * interfaces it supports. The bundle exports nothing; the deployer finds the factory as a service, and
 * when the bundle stops, the service goes and the deployer closes the stores it made.
 *
 * <p>A file of this type:
 * <pre>
 * &lt;UserStoreManager class="org.example.userstore.PropertiesUserStoreManager"&gt;
 *   &lt;Property name="DomainName"&gt;EXAMPLE.ORG&lt;/Property&gt;
 *   &lt;Property name="User.alice"&gt;Alice Example&lt;/Property&gt;
 *   &lt;Property name="Password.alice"&gt;pbkdf2-sha256$10000$...$...&lt;/Property&gt;
 * &lt;/UserStoreManager&gt;
 * </pre>
 * See {@link PropertiesUserStore} for the properties. Not meant for production: the users live in a
 * file every node reads, and there is no lockout after failed sign-ins.
 */
@Component(service = UserStoreFactory.class, property = {
        UserStoreFactory.TYPE_PROPERTY + "=" + PropertiesUserStoreFactory.TYPE,
        UserStoreFactory.CLASS_PROPERTY + "=" + PropertiesUserStoreFactory.MANAGER_CLASS})
public final class PropertiesUserStoreFactory implements UserStoreFactory {

    /** The type name. */
    public static final String TYPE = "example";

    /** The user store manager class name that XML files of this type give. */
    public static final String MANAGER_CLASS = "org.example.userstore.PropertiesUserStoreManager";

    private static final Logger LOG = LoggerFactory.getLogger(PropertiesUserStoreFactory.class);

    /**
     * Makes the store of one domain from the file's properties.
     *
     * @throws IllegalArgumentException naming the property, never its value, when one is unusable
     */
    @Override
    public UserStore create(String domain, Map<String, String> properties) {
        if (properties == null) {
            throw new IllegalArgumentException("no properties given for the example user store");
        }
        PropertiesUserStore store = new PropertiesUserStore(domain, properties);
        LOG.debug("Example user store of domain {} made with {} users", domain, store.size());
        return store;
    }

    /**
     * A value for a {@code Password.<username>} property: a PBKDF2-HMAC-SHA256 hash of
     * {@code password} with a fresh random salt. For tests and operators writing files of this type; the
     * caller may clear {@code password} afterwards.
     *
     * @param iterations between 1,000 and 10,000,000 (OWASP recommends 600,000 for production)
     * @throws IllegalArgumentException when the password is empty or the count out of bounds
     */
    public static String hash(char[] password, int iterations) {
        return Pbkdf2.hash(password, iterations);
    }
}
