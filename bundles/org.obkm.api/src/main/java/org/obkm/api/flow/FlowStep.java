package org.obkm.api.flow;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a step of a flow, for the page to carry out.
 *
 * @param kind     what the page does
 * @param redirect where to send the browser (303) when {@link Kind#REDIRECT}: the next page or the client;
 *                 where the browser posts {@link #form()} when {@link Kind#POST}
 * @param page     the page to render again when {@link Kind#SHOW}
 * @param message  why, when {@link Kind#FAILED}: a sentence for the person, shown on an error page
 *                 (status 400); never names a secret
 * @param form     the fields the browser posts to {@link #redirect()} when {@link Kind#POST}; else empty
 */
public record FlowStep(Kind kind, URI redirect, FlowPage page, String message, Map<String, String> form) {

    /** What the page does with a step's outcome. */
    public enum Kind {
        /** Send the browser on with 303 See Other. */
        REDIRECT,
        /** Render {@link #page()} again (with its message). */
        SHOW,
        /** The flow cannot continue here (gone, expired, another browser's, bad CSRF token): error page. */
        FAILED,
        /**
         * Have the browser post {@link #form()} to {@link #redirect()} at once: a response to the client in
         * an auto-submitting form (OAuth 2.0 Form Post Response Mode §2; JARM §4.3.3 {@code form_post.jwt}).
         */
        POST
    }

    public FlowStep {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.REDIRECT || kind == Kind.POST) != (redirect != null) || (kind == Kind.SHOW) != (page != null)) {
            throw new IllegalArgumentException("a redirect goes with REDIRECT or POST, a page with SHOW");
        }
        message = message == null ? "" : message;
        form = form == null ? Map.of() : Map.copyOf(form);
    }

    /** A step without a form to post. */
    public FlowStep(Kind kind, URI redirect, FlowPage page, String message) {
        this(kind, redirect, page, message, null);
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

    /** The browser posts these fields to {@code to} (the client's redirect URI). */
    public static FlowStep post(URI to, Map<String, String> fields) {
        return new FlowStep(Kind.POST, to, null, null, fields);
    }
}
