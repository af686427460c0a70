/**
 * User stores: the directories that hold the bank's customers (PSUs) whom the login page of the
 * authorization endpoint authenticates (OpenID Connect Core 1.0 section 3.1.2.3, FAPI 2.0 Security
 * Profile section 5.3.2.2 on end-user authentication).
 *
 * <p>A store offers what it can as small capability interfaces, in the manner of Keycloak's user
 * storage SPI: {@link org.obkm.api.user.UserLookup}, {@link org.obkm.api.user.CredentialCheck} and
 * {@link org.obkm.api.user.UserQuery} for every store, {@link org.obkm.api.user.UserAdmin} only for
 * writable ones (the primary store in the shared database; an LDAP directory is read-only). Each
 * store is an OSGi service under {@link org.obkm.api.user.UserStore} and its capability interfaces,
 * with the service property {@value org.obkm.api.user.UserStore#DOMAIN_PROPERTY}. Users of secondary
 * stores sign in as {@code DOMAIN/username}; a plain name belongs to the
 * {@value org.obkm.api.user.UserStore#PRIMARY} store. {@link org.obkm.api.user.UserStoreRegistry}
 * resolves such names.
 */
@org.osgi.annotation.versioning.Version("1.2.0")
package org.obkm.api.user;
