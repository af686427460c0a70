package org.obkm.cluster.internal;

import java.util.logging.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import com.hazelcast.logging.LogEvent;
import com.hazelcast.logging.LogListener;
import com.hazelcast.nio.serialization.HazelcastSerializationException;

/**
 * Turns Hazelcast's report of a refused payload into one line of the node's {@link RejectionLog}.
 * Hazelcast logs an operation whose payload it would not decode (a class outside the serialization
 * filter, an unknown factory, bytes that do not parse) as an ERROR with a stack trace, once per
 * attempt, so a foreign member could fill the log: {@link QuietRefusalLoggerFactory} keeps those
 * events out of SLF4J and this listener, registered on the member's logging service from its
 * configuration, logs them the short way.
 */
final class HazelcastLog implements LifecycleListener, HazelcastInstanceAware, LogListener {

    private final RejectionLog rejections;
    private final AtomicBoolean registered = new AtomicBoolean();
    // Weak, by identity (Throwable keeps Object's equals): holds nothing once Hazelcast drops it.
    private final Set<Throwable> reported = Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));

    HazelcastLog(RejectionLog rejections) {
        this.rejections = rejections;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hz) {
        // Hazelcast hands the instance more than once; one registration, or each refusal counts twice.
        if (registered.compareAndSet(false, true)) {
            hz.getLoggingService().addLogListener(Level.WARNING, this);
        }
    }

    @Override
    public void stateChanged(LifecycleEvent event) {
        // Only a LifecycleListener to be registered early through the configuration.
    }

    @Override
    public void log(LogEvent event) {
        Throwable thrown = event.getLogRecord().getThrown();
        String refusal = refusal(thrown);
        // An operation that fails to decode is reported by two of Hazelcast's loggers with the same
        // exception: one attempt, one line.
        if (refusal != null && reported.add(thrown)) {
            rejections.refused("member port", refusal);
        }
    }

    /** What was refused, in words that hold no attacker-chosen text but a class name; or null. */
    static String refusal(Throwable t) {
        for (Throwable c : chain(t)) {
            String m = c.getMessage() == null ? "" : c.getMessage();
            if (c instanceof SecurityException && m.endsWith(" is not allowed.")) {
                return "object of class " + className(m) + ", outside the serialization allow-list; not decoded";
            }
            // A Compact object whose class this node will not load arrives as a generic record, which an
            // executor then refuses to run with this message.
            if (c.getClass().getSimpleName().equals("ReflectiveCompactSerializationUnsupportedException")
                    || c instanceof IllegalArgumentException && m.startsWith("com.hazelcast.") && m.endsWith("GenericRecord")) {
                return "Compact object of a class this node does not decode";
            }
        }
        for (Throwable c : chain(t)) {
            if (c instanceof HazelcastSerializationException) {
                return "payload this node cannot decode";
            }
        }
        return null;
    }

    /** The causes of {@code t}, itself first, at most ten (a cause may loop). */
    private static List<Throwable> chain(Throwable t) {
        List<Throwable> out = new ArrayList<>();
        for (Throwable c = t; c != null && out.size() < 10 && !out.contains(c); c = c.getCause()) {
            out.add(c);
        }
        return out;
    }

    /** The class named in a filter message, cut to characters a Java name has. */
    private static String className(String message) {
        String s = message.replaceFirst("^(Resolving|Creation of) class ", "").replaceFirst(" is not allowed\\.$", "");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < 200; i++) {
            char ch = s.charAt(i);
            out.append(Character.isJavaIdentifierPart(ch) || ch == '.' || ch == '[' || ch == ';' ? ch : '?');
        }
        return out.toString();
    }
}
