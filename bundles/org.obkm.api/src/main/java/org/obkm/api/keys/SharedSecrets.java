package org.obkm.api.keys;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Random secrets that every cluster member shares through the database, stored encrypted under the
 * operator's key encryption secret. Used to authenticate cluster messages and encrypt shared state
 * (the cluster port is no trust boundary).
 */
@ProviderType
public interface SharedSecrets {

    /** The 32-byte secret of this name, created by whichever node asks first. */
    byte[] secret(String name);
}
