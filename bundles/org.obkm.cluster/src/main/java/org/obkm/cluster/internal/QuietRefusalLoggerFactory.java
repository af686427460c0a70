package org.obkm.cluster.internal;

import java.util.logging.Level;

import com.hazelcast.logging.AbstractLogger;
import com.hazelcast.logging.ILogger;
import com.hazelcast.logging.LogEvent;
import com.hazelcast.logging.LoggerFactory;
import com.hazelcast.logging.Slf4jFactory;

/**
 * Hazelcast's SLF4J logging without its reports of refused payloads, which {@link HazelcastLog}
 * logs as one line each instead. Hazelcast makes its logger factory from the class name in the
 * system property {@code hazelcast.logging.class}, so it is public with a no-argument constructor.
 */
public final class QuietRefusalLoggerFactory implements LoggerFactory {

    /** The system property Hazelcast reads. */
    static final String PROPERTY = "hazelcast.logging.class";

    private final LoggerFactory slf4j = new Slf4jFactory();

    @Override
    public ILogger getLogger(String name) {
        return new Quiet(slf4j.getLogger(name));
    }

    private static final class Quiet extends AbstractLogger {
        private final ILogger delegate;

        Quiet(ILogger delegate) {
            this.delegate = delegate;
        }

        @Override
        public void log(Level level, String message) {
            delegate.log(level, message);
        }

        @Override
        public void log(Level level, String message, Throwable thrown) {
            if (HazelcastLog.refusal(thrown) == null) {
                delegate.log(level, message, thrown);
            }
        }

        @Override
        public void log(LogEvent event) {
            if (HazelcastLog.refusal(event.getLogRecord().getThrown()) == null) {
                delegate.log(event);
            }
        }

        @Override
        public Level getLevel() {
            return delegate.getLevel();
        }

        @Override
        public boolean isLoggable(Level level) {
            return delegate.isLoggable(level);
        }
    }
}
