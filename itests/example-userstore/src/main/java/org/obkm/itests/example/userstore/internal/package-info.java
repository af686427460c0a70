/**
 * The example user store type: a complete, small store type bundle that implements the user store
 * SPI ({@link org.obkm.api.user.spi.UserStoreFactory}) for authors of other types and for the tests
 * of hot-deployed types. Internal: the bundle exports no package, it only registers a service.
 */
package org.obkm.itests.example.userstore.internal;
