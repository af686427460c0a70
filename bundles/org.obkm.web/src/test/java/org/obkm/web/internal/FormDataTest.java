package org.obkm.web.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class FormDataTest {

    private static FormData parse(String s) throws BadRequest {
        return FormData.parse(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void decodesPercentPlusAndUtf8() throws BadRequest {
        FormData form = parse("a=x+y%2Bz&b=%E2%82%AC&empty=&bare&&c=1=2");
        assertEquals("x y+z", form.get("a"));
        assertEquals("\u20ac", form.get("b"));
        assertEquals("", form.get("empty"));
        assertEquals("", form.get("bare"));
        assertEquals("1=2", form.get("c"));
        assertNull(form.get("missing"));
        assertEquals(0, parse("").secret("missing").length);
    }

    @Test
    void clearZeroesTheSecrets() throws BadRequest {
        FormData form = parse("password=p%C3%A4ss");
        char[] password = form.secret("password");
        assertArrayEquals("p\u00e4ss".toCharArray(), password);
        form.clear();
        assertArrayEquals(new char[4], password);
    }

    @Test
    void refusesMalformedInput() {
        for (String bad : new String[] {"a=%", "a=%4", "a=%G1", "a=%C3", "a=%FF", "a=1&a=2", "a=\u00e9", "a=\t",
            "%C3=1"}) {
            assertThrows(BadRequest.class, () -> parse(bad), bad);
        }
    }

    @Test
    void requiredFieldsMustNotBeEmpty() throws BadRequest {
        FormData form = parse("a=&b=1");
        assertThrows(BadRequest.class, () -> form.required("a"));
        assertThrows(BadRequest.class, () -> form.required("c"));
        assertEquals("1", form.required("b"));
    }
}
