package org.obkm.web.internal;

import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The language of a page: the first of the authorization request's {@code ui_locales} (OpenID
 * Connect Core 1.0 §3.1.2.1, space-separated BCP 47 tags in order of preference) that the pages speak,
 * then the browser's {@code Accept-Language} (RFC 9110 §12.5.4, by quality), else English. The strings
 * are in the properties bundles {@code messages[_cy].properties} beside this class.
 */
final class Languages {

    /** The languages shipped; the first is the fallback. */
    static final List<String> SUPPORTED = List.of("en", "cy");

    private Languages() {
    }

    /** The page language for these preferences; either may be null. */
    static Locale choose(String uiLocales, String acceptLanguage) {
        if (uiLocales != null) {
            for (String tag : uiLocales.trim().split("\\s+")) {
                String match = match(tag);
                if (match != null) {
                    return Locale.forLanguageTag(match);
                }
            }
        }
        if (acceptLanguage != null && acceptLanguage.length() < 1000) {
            try {
                for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
                    String match = range.getWeight() > 0 ? match(range.getRange()) : null;
                    if (match != null) {
                        return Locale.forLanguageTag(match);
                    }
                }
            } catch (IllegalArgumentException e) {
                // A malformed header counts as none.
            }
        }
        return Locale.forLanguageTag(SUPPORTED.get(0));
    }

    private static String match(String tag) {
        String primary = tag.split("-", 2)[0].toLowerCase(Locale.ROOT);
        return SUPPORTED.contains(primary) ? primary : null;
    }

    /** The page strings in a language; a key missing there falls back to English. */
    static ResourceBundle messages(Locale locale) {
        return ResourceBundle.getBundle("org.obkm.web.internal.messages", locale, Languages.class.getClassLoader(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** A string of a bundle, or {@code fallback} when it has none (a permission code the bundle lacks). */
    static String text(ResourceBundle bundle, String key, String fallback) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            return fallback;
        }
    }
}
