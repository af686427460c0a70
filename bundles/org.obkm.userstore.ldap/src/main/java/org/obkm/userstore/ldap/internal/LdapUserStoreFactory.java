package org.obkm.userstore.ldap.internal;

import java.util.Map;

import org.apache.directory.api.ldap.codec.api.LdapApiService;
import org.apache.directory.api.ldap.codec.protocol.mina.LdapProtocolCodecFactory;
import org.obkm.api.user.UserStore;
import org.obkm.api.user.spi.UserStoreFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user store type {@code ldap}: makes an {@link LdapUserStore} from a user store file, for the
 * {@code .cfg} form ({@code type = ldap}) and for the original product's XML files of its LDAP and
 * Active Directory user store managers. Those are served read-only: the directory stays the bank's
 * source of truth, and a file naming a read-write manager gets a warning saying so.
 *
 * <p>The references to the LDAP API's codec services make this component wait until the API's bundles
 * have registered their codecs (the API does that from bundle activators).
 */
@Component(service = UserStoreFactory.class, property = {
    UserStoreFactory.TYPE_PROPERTY + "=ldap",
    UserStoreFactory.CLASS_PROPERTY + "=" + LdapUserStoreFactory.WSO2 + "ReadOnlyLDAPUserStoreManager",
    UserStoreFactory.CLASS_PROPERTY + "=" + LdapUserStoreFactory.WSO2 + "UniqueIDReadOnlyLDAPUserStoreManager",
    UserStoreFactory.CLASS_PROPERTY + "=" + LdapUserStoreFactory.WSO2 + "ReadWriteLDAPUserStoreManager",
    UserStoreFactory.CLASS_PROPERTY + "=" + LdapUserStoreFactory.WSO2 + "UniqueIDReadWriteLDAPUserStoreManager",
    UserStoreFactory.CLASS_PROPERTY + "=" + LdapUserStoreFactory.WSO2 + "ActiveDirectoryUserStoreManager",
    UserStoreFactory.CLASS_PROPERTY + "=" + LdapUserStoreFactory.WSO2 + "UniqueIDActiveDirectoryUserStoreManager"})
public final class LdapUserStoreFactory implements UserStoreFactory {

    static final String WSO2 = "org.wso2.carbon.user.core.ldap.";

    private static final Logger LOG = LoggerFactory.getLogger(LdapUserStoreFactory.class);

    private final LdapApiService api;

    @Activate
    public LdapUserStoreFactory(@Reference LdapApiService api, @Reference LdapProtocolCodecFactory codec) {
        this.api = api;
    }

    @Override
    public UserStore create(String domain, Map<String, String> properties) {
        LdapSettings settings = LdapSettings.parse(properties);
        // The deployer may pass the file's class attribute along (it is not a store property).
        String manager = properties.getOrDefault("class", properties.getOrDefault(UserStoreFactory.CLASS_PROPERTY, ""));
        if (manager.contains("ReadWrite") || manager.contains("ActiveDirectory")) {
            LOG.warn("User store {}: {} is served read-only; users and groups are managed in the directory", domain,
                    manager);
        }
        if (!settings.ignored().isEmpty()) {
            LOG.info("User store {}: properties not used by the LDAP store, ignored: {}", domain,
                    String.join(", ", settings.ignored()));
        }
        if (settings.serviceBind() && !settings.startTls()
                && settings.replicas().stream().anyMatch(r -> !r.ldaps())) {
            LOG.warn("User store {}: passwords go to {} in clear; use ldaps:// or StartTLSEnabled = true", domain,
                    settings.replicas().stream().filter(r -> !r.ldaps()).toList());
        }
        LdapUserStore store = new LdapUserStore(domain, settings, api);
        LOG.info("User store {}: LDAP directory {} (pool of {} per replica, timeouts {} / {} ms)", domain,
                settings.replicas(), settings.poolSize(), settings.connectTimeoutMillis(), settings.readTimeoutMillis());
        return store;
    }
}
