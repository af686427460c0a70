/**
 * Service provider interface for user store types: a bundle registers a
 * {@link org.obkm.api.user.spi.UserStoreFactory}, and user store files of its type become stores.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.obkm.api.user.spi;
