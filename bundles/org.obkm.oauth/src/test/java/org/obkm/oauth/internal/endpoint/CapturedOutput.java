package org.obkm.oauth.internal.endpoint;

import java.io.ByteArrayOutputStream;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;

/** A servlet response body written into a buffer, for the unit tests of one servlet or filter. */
final class CapturedOutput {

    private CapturedOutput() {
    }

    /** An output stream that writes into {@code sink}. */
    static ServletOutputStream into(ByteArrayOutputStream sink) {
        return new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(int b) {
                sink.write(b);
            }
        };
    }
}
