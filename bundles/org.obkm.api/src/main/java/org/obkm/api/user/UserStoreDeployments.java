package org.obkm.api.user;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The secondary user stores deployed from the shared user store folder, one per file, with their
 * state: what {@code obkm:userstore-list} shows.
 */
@ProviderType
public interface UserStoreDeployments {

    /** Every file of the folder that was seen, ordered by domain (then file name). */
    List<UserStoreStatus> list();

    /** The folder watched, as an absolute path. */
    String directory();
}
