package org.obkm.settings.internal;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.obkm.api.settings.ClusterSettings.Difference;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * One member's effective settings as it shows them to the others: {@code "<pid> <key>"} to the value,
 * or for a secret to {@link Shown#secret its keyed digest}. It travels as JSON in the cluster's shared
 * state (encrypted and authenticated there; parsed as JSON, never Java-deserialised).
 */
record Snapshot(String member, long applied, Map<String, String> values) {

    byte[] encode() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("member", member);
        m.put("applied", applied);
        m.put("values", values);
        return JSONObjectUtils.toJSONString(m).getBytes(StandardCharsets.UTF_8);
    }

    /** The snapshot in these bytes; null when they are not one (another version's, or damaged). */
    static Snapshot decode(byte[] bytes) {
        try {
            Map<String, Object> m = JSONObjectUtils.parse(new String(bytes, StandardCharsets.UTF_8));
            Map<String, Object> raw = JSONObjectUtils.getJSONObject(m, "values");
            String member = JSONObjectUtils.getString(m, "member");
            if (raw == null || member == null) {
                return null;
            }
            Map<String, String> values = new TreeMap<>();
            raw.forEach((k, v) -> values.put(k, v == null ? null : v.toString()));
            return new Snapshot(member, JSONObjectUtils.getLong(m, "applied"), values);
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The settings whose value is not the same on every member, or on some member not the cluster's.
     *
     * @param cluster the cluster's values, shown as the members show theirs, by {@code "<pid> <key>"}
     */
    static List<Difference> differences(Map<String, String> cluster, List<Snapshot> members) {
        TreeSet<String> names = new TreeSet<>(cluster.keySet());
        members.forEach(s -> names.addAll(s.values().keySet()));
        List<Difference> out = new ArrayList<>();
        for (String name : names) {
            String clusterValue = cluster.get(name);
            Map<String, String> byMember = new TreeMap<>();
            TreeSet<String> seen = new TreeSet<>();
            boolean absent = false;
            for (Snapshot s : members) {
                String v = s.values().get(name);
                byMember.put(s.member(), v);
                if (v == null) {
                    absent = true;
                } else {
                    seen.add(v);
                }
            }
            boolean differ = seen.size() > 1 || (absent && !seen.isEmpty())
                    || (clusterValue != null && byMember.values().stream().anyMatch(v -> !clusterValue.equals(v)));
            if (differ) {
                int space = name.indexOf(' ');
                out.add(new Difference(name.substring(0, space), name.substring(space + 1), clusterValue, byMember));
            }
        }
        return out;
    }

    /** The members that stand out in a difference: those off the cluster's value, else the minority. */
    static List<String> outliers(Difference d) {
        if (d.clusterValue() != null) {
            return d.byMember().entrySet().stream().filter(e -> !d.clusterValue().equals(e.getValue()))
                    .map(Map.Entry::getKey).toList();
        }
        Map<String, Integer> counts = new TreeMap<>();
        d.byMember().values().forEach(v -> counts.merge(String.valueOf(v), 1, Integer::sum));
        String common = counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
        return d.byMember().entrySet().stream().filter(e -> !common.equals(String.valueOf(e.getValue())))
                .map(Map.Entry::getKey).toList();
    }
}
