package org.obkm.api.user.spi;

import java.util.Map;

import org.obkm.api.user.UserStore;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Makes user stores of one type from the properties of a user store file. A bundle that brings a
 * store type registers one factory service with {@value #TYPE_PROPERTY} (the short name a
 * {@code .cfg} file's {@code type} names, e.g. {@code ldap}) and, for files of the original product,
 * {@value #CLASS_PROPERTY} (the {@code class} attribute of {@code <UserStoreManager>} that the type
 * serves, e.g. {@code org.wso2.carbon.user.core.ldap.UniqueIDReadOnlyLDAPUserStoreManager}; a
 * String or String[]). The deployer binds each file to the factory whose type or class matches, so
 * that installing the bundle brings the file's store up and removing it takes the store down.
 */
@ConsumerType
public interface UserStoreFactory {

    /** Service property: the type name. */
    String TYPE_PROPERTY = "obkm.userstore.type";

    /** Service property: the original product's user store manager classes served. */
    String CLASS_PROPERTY = "obkm.userstore.class";

    /**
     * Makes the store of one domain. The caller registers it as a service under the capability
     * interfaces it implements and, when it implements {@link AutoCloseable}, closes it when it goes
     * down (the file changed or was removed, the factory's bundle stopped).
     *
     * @param domain     the domain, upper case
     * @param properties the file's properties by their original names ({@code ConnectionURL}, ...),
     *                   with encrypted values already decrypted: never log them
     * @throws IllegalArgumentException with a message fit for an operator (naming the property, never
     *                                  a secret's value) when the properties are unusable
     */
    UserStore create(String domain, Map<String, String> properties);
}
