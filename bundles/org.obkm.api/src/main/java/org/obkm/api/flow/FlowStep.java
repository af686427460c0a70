package org.obkm.api.flow;

import java.net.URI;
import java.util.Objects;

/**
 * The outcome of a step of a flow, for the page to carry out.
 *
 * @param kind     what the page does
 * @param redirect where to send the browser (303) when {@link Kind#REDIRECT}: the next page or the client
 * @param page     the page to render again when {@link Kind#SHOW}
 * @param message  why, when {@link Kind#FAILED}: a sentence for the person, shown on an error page
 *                 (status 400); never names a secret
 */
public record FlowStep(Kind kind, URI redirect, FlowPage page, String message) {

    /** What the page does with a step's outcome. */
    public enum Kind {
        /** Send the browser on with 303 See Other. */
        REDIRECT,
        /** Render {@link #page()} again (with its message). */
        SHOW,
        /** The flow cannot continue here (gone, expired, another browser's, bad CSRF token): error page. */
        FAILED
    }

    public FlowStep {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.REDIRECT) != (redirect != null) || (kind == Kind.SHOW) != (page != null)) {
            throw new IllegalArgumentException("a redirect goes with REDIRECT, a page with SHOW");
        }
        message = message == null ? "" : message;
    }

    public static FlowStep redirect(URI to) {
        return new FlowStep(Kind.REDIRECT, to, null, null);
    }

    public static FlowStep show(FlowPage page) {
        return new FlowStep(Kind.SHOW, null, page, null);
    }

    public static FlowStep failed(String message) {
        return new FlowStep(Kind.FAILED, null, null, message);
    }
}
