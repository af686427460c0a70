package org.obkm.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BrandingTest {

    @Test
    void readsAValidConfiguration() {
        Branding b = Branding.of("Example Bank", "https://cdn.example.test/logo.svg", "#A1B2C3", "#fff",
                new String[] {"Privacy|https://bank.example.test/privacy,Help|/help"});
        assertEquals("Example Bank", b.bankName());
        assertEquals("#a1b2c3", b.primaryColour());
        assertEquals(2, b.footerLinks().size());
        assertTrue(b.css().contains("--brand-primary:#a1b2c3"));
    }

    @Test
    void defaultsWhenNothingIsSet() {
        assertEquals(Branding.DEFAULT, Branding.of(null, null, null, null, null));
    }

    @Test
    void rejectsColourThatWouldInjectCss() {
        assertThrows(IllegalArgumentException.class,
                () -> Branding.of("B", "", "red;}body{display:none", null, null));
        assertThrows(IllegalArgumentException.class, () -> Branding.of("B", "", "#12345g", null, null));
        assertThrows(IllegalArgumentException.class, () -> Branding.of("B", "", null, "url(x)", null));
    }

    @Test
    void rejectsLogoUrlThatIsNotHttpsOrHoldsQuotes() {
        assertThrows(IllegalArgumentException.class, () -> Branding.of("B", "javascript:alert(1)", null, null, null));
        assertThrows(IllegalArgumentException.class, () -> Branding.of("B", "http://x.test/l.png", null, null, null));
        assertThrows(IllegalArgumentException.class, () -> Branding.of("B", "https://x.test/\"><script>", null, null, null));
        assertThrows(IllegalArgumentException.class, () -> Branding.of("B", "//evil.test/l.png", null, null, null));
    }

    @Test
    void rejectsFooterEntryWithoutLabelOrWithBadUrl() {
        assertThrows(IllegalArgumentException.class, () -> Branding.of("B", "", null, null, new String[] {"|https://x.test"}));
        assertThrows(IllegalArgumentException.class, () -> Branding.of("B", "", null, null, new String[] {"Help|data:text/html,x"}));
    }

    @Test
    void rejectsBankNameWithControlCharacters() {
        assertThrows(IllegalArgumentException.class, () -> Branding.of("B\nX", "", null, null, null));
    }
}
