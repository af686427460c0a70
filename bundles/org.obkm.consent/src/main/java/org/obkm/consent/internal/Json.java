package org.obkm.consent.internal;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;

import com.nimbusds.jose.util.JSONArrayUtils;

/** JSON arrays of strings in a column (Nimbus's json-smart, as the rest of OBKM writes JSON). */
final class Json {

    private Json() {
    }

    static String array(List<String> values) {
        return JSONArrayUtils.toJSONString(values);
    }

    static List<String> strings(String json) {
        try {
            List<String> out = new ArrayList<>();
            for (Object o : JSONArrayUtils.parse(json)) {
                out.add(String.valueOf(o));
            }
            return out;
        } catch (ParseException e) {
            throw new IllegalStateException("unreadable accounts_json in obkm_consent", e);
        }
    }
}
