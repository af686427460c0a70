package org.obkm.api.flow;

import java.util.Objects;

/**
 * One thing a client asks for, in plain words for the consent page: a scope now, open-banking
 * account and payment permissions later.
 *
 * @param code        the technical name (a scope such as {@code accounts})
 * @param title       a short line, such as "Read your account details"
 * @param description a sentence that explains it; may be empty
 */
public record Permission(String code, String title, String description) {

    public Permission {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(title, "title");
        description = description == null ? "" : description;
    }
}
