package org.obkm.userstore.deployer.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One valid user store file, as read.
 *
 * @param domain            the domain, upper case
 * @param type              the {@code type} or {@code class} the file asks for, as written
 * @param disabled          whether the file says {@code Disabled = true}
 * @param properties        the file's properties by their names in the file, values as written (for
 *                          encrypted ones the ciphertext, without {@code ENC(...)}); never log it
 * @param encrypted         names of properties whose values are ciphertext
 * @param plaintextSecrets  names of secret properties given in plain text
 */
record UserStoreFile(String domain, String type, boolean disabled, Map<String, String> properties,
        Set<String> encrypted, Set<String> plaintextSecrets) {

    UserStoreFile {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(type, "type");
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        encrypted = Collections.unmodifiableSet(new TreeSet<>(encrypted));
        plaintextSecrets = Collections.unmodifiableSet(new TreeSet<>(plaintextSecrets));
    }

    @Override
    public String toString() {
        // Never the values: some are secrets.
        return "UserStoreFile[" + domain + ", " + type + ", disabled=" + disabled + ", properties="
                + properties.keySet() + "]";
    }
}
