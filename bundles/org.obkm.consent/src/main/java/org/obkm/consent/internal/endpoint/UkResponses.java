package org.obkm.consent.internal.endpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.servlet.http.HttpServletResponse;

import org.obkm.consent.internal.validation.UkError;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Writing the consent resources' answers: JSON bodies, and errors in the UK Read/Write Data API
 * profile's structure ({@code Code}, {@code Id}, {@code Message}, {@code Errors[{ErrorCode, Message,
 * Path}]}), never a stack trace.
 */
final class UkResponses {

    private UkResponses() {
    }

    static void json(HttpServletResponse resp, int status, Map<String, ?> body) throws IOException {
        write(resp, status, bytes(body));
    }

    static byte[] bytes(Map<String, ?> body) {
        return JSONObjectUtils.toJSONString(body).getBytes(StandardCharsets.UTF_8);
    }

    static void write(HttpServletResponse resp, int status, byte[] bytes) throws IOException {
        resp.setStatus(status);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType("application/json; charset=utf-8");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    /** An error with the UK body: {@code Code} is the status and its reason, {@code Id} a fresh reference. */
    static void error(HttpServletResponse resp, int status, String message, List<UkError> errors) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Code", status + " " + reason(status));
        body.put("Id", UUID.randomUUID().toString());
        body.put("Message", message);
        List<Map<String, Object>> list = new ArrayList<>();
        for (UkError e : errors) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ErrorCode", e.errorCode());
            m.put("Message", e.message());
            if (e.path() != null) {
                m.put("Path", e.path());
            }
            list.add(m);
        }
        body.put("Errors", list);
        json(resp, status, body);
    }

    static void error(HttpServletResponse resp, int status, String errorCode, String message, String path)
            throws IOException {
        error(resp, status, message, List.of(new UkError(errorCode, message, path)));
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "BadRequest";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 406 -> "NotAcceptable";
            case 413 -> "PayloadTooLarge";
            case 415 -> "UnsupportedMediaType";
            case 503 -> "ServiceUnavailable";
            default -> "InternalServerError";
        };
    }
}
