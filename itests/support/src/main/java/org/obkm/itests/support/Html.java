package org.obkm.itests.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the tests read from the server's pages (login, consent, error): form fields, the form's
 * action, texts by id. The pages escape values as an HTML encoder does (named, decimal and
 * hexadecimal character references), which is undone here.
 */
public final class Html {

    private static final Pattern INPUT = Pattern.compile("<input\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern FORM = Pattern.compile("<form\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z-]+)\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern ENTITY = Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);");

    private Html() {
    }

    /** The value of the input named {@code name} (hidden fields flow and csrf); null when absent. */
    public static String hidden(String html, String name) {
        Matcher m = INPUT.matcher(html);
        while (m.find()) {
            if (name.equals(attribute(m.group(), "name"))) {
                return attribute(m.group(), "value");
            }
        }
        return null;
    }

    /** The name and value of every {@code <input type="hidden">}, in page order. */
    public static Map<String, String> hiddenFields(String html) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher input = INPUT.matcher(html);
        while (input.find()) {
            Map<String, String> attrs = new LinkedHashMap<>();
            Matcher a = ATTRIBUTE.matcher(input.group());
            while (a.find()) {
                attrs.put(a.group(1).toLowerCase(Locale.ROOT), unescape(a.group(2)));
            }
            if ("hidden".equalsIgnoreCase(attrs.get("type")) && attrs.get("name") != null) {
                out.put(attrs.get("name"), attrs.getOrDefault("value", ""));
            }
        }
        return out;
    }

    /** The action of the page's first form. */
    public static String formAction(String html) {
        Matcher m = FORM.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no form in the page: " + html);
        }
        return attribute(m.group(), "action");
    }

    /** The text of the element with this id, tags removed and entities decoded; null when absent. */
    public static String textById(String html, String id) {
        Matcher m = Pattern.compile("<([a-zA-Z0-9]+)\\b[^>]*\\bid=\"" + Pattern.quote(id) + "\"[^>]*>(.*?)</\\1>",
                Pattern.DOTALL).matcher(html);
        return m.find() ? unescape(m.group(2).replaceAll("<[^>]*>", "")).strip() : null;
    }

    /** The values of an attribute over every element that has it ({@code data-code} of the permissions). */
    public static List<String> attributeValues(String html, String attribute) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\b" + Pattern.quote(attribute) + "=\"([^\"]*)\"").matcher(html);
        while (m.find()) {
            out.add(unescape(m.group(1)));
        }
        return out;
    }

    private static String attribute(String tag, String name) {
        Matcher m = Pattern.compile("\\b" + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(tag);
        return m.find() ? unescape(m.group(1)) : null;
    }

    /** Character references as an HTML encoder writes them (named, decimal, hexadecimal). */
    public static String unescape(String s) {
        return ENTITY.matcher(s).replaceAll(m -> {
            String e = m.group(1);
            String r = switch (e) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> new String(Character.toChars(e.startsWith("#x") ? Integer.parseInt(e.substring(2), 16)
                        : Integer.parseInt(e.substring(1))));
            };
            return Matcher.quoteReplacement(r);
        });
    }
}
