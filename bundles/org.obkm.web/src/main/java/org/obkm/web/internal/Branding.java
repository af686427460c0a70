package org.obkm.web.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The bank's look on the PSU pages, from {@code etc/org.obkm.web.branding.cfg}: name, logo, colours,
 * footer links. Every value is validated here, before it reaches a page, so that no configuration can
 * inject markup or CSS: a colour is {@code #rgb} or {@code #rrggbb} only, a URL is https (or a path of
 * this origin) without quotes, spaces or angle brackets. Text is escaped where the page writes it.
 *
 * @param bankName what the pages name the bank
 * @param logoUrl the logo's address, or empty for none
 * @param primaryColour buttons and links
 * @param backgroundColour the page behind the card
 * @param footerLinks the links under the card
 */
record Branding(String bankName, String logoUrl, String primaryColour, String backgroundColour,
        List<FooterLink> footerLinks) {

    private static final Pattern COLOUR = Pattern.compile("#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})");
    private static final Pattern URL_CHARS = Pattern.compile("[A-Za-z0-9\\-._~:/?#\\[\\]@!$&()*+,;=%]+");
    private static final int MAX_TEXT = 100;

    /** What a page shows without configuration. */
    static final Branding DEFAULT = new Branding("OBKM", "", "#0b57d0", "#eef1f5", List.of());

    /** A footer link: its text and its https address. */
    record FooterLink(String label, String url) {
    }

    /**
     * Reads the settings; each problem is named, so the log tells the operator which key is wrong.
     *
     * @param footer entries {@code label|url}
     * @throws IllegalArgumentException naming the first bad setting
     */
    static Branding of(String bankName, String logoUrl, String primary, String background, String[] footer) {
        String name = text("bankName", bankName == null || bankName.isBlank() ? DEFAULT.bankName() : bankName);
        String logo = logoUrl == null || logoUrl.isBlank() ? "" : url("logoUrl", logoUrl.strip());
        List<FooterLink> links = new ArrayList<>();
        for (String entry : footer == null ? new String[0] : footer) {
            for (String one : entry.split(",")) {
                if (one.isBlank()) {
                    continue;
                }
                int bar = one.indexOf('|');
                if (bar < 1) {
                    throw new IllegalArgumentException("footerLinks: an entry is not label|url");
                }
                links.add(new FooterLink(text("footerLinks", one.substring(0, bar).strip()),
                        url("footerLinks", one.substring(bar + 1).strip())));
            }
        }
        return new Branding(name, logo, colour("primaryColour", primary, DEFAULT.primaryColour()),
                colour("backgroundColour", background, DEFAULT.backgroundColour()), List.copyOf(links));
    }

    /** The CSS the pages inline-link after the stylesheet: only validated colours go in. */
    String css() {
        return ":root{--brand-primary:" + primaryColour + ";--brand-background:" + backgroundColour + "}\n"
                + "body{background:var(--brand-background)}\n"
                + "button.primary{background:var(--brand-primary);border-color:var(--brand-primary)}\n"
                + "a{color:var(--brand-primary)}\n";
    }

    static String colour(String key, String value, String fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.strip();
        if (!COLOUR.matcher(v).matches()) {
            throw new IllegalArgumentException(key + ": not a colour of the form #rgb or #rrggbb");
        }
        return v.toLowerCase(Locale.ROOT);
    }

    static String url(String key, String value) {
        if (!URL_CHARS.matcher(value).matches()) {
            throw new IllegalArgumentException(key + ": a URL with characters a URL may not hold");
        }
        try {
            URI uri = new URI(value);
            boolean https = "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null;
            boolean local = uri.getScheme() == null && uri.getRawAuthority() == null && value.startsWith("/")
                    && !value.startsWith("//");
            if (!https && !local) {
                throw new IllegalArgumentException(key + ": not an https URL or a path of this server");
            }
            return value;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(key + ": not a URL");
        }
    }

    private static String text(String key, String value) {
        String v = value.strip();
        if (v.length() > MAX_TEXT || v.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(key + ": over " + MAX_TEXT + " characters or with control characters");
        }
        return v;
    }
}
