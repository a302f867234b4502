package io.tenantml.testing;

import io.restassured.RestAssured;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Requests no URI class lets through (a '%' without two hex digits, huge headers), written on a socket as
 * they are given, to the API port of the running test application.
 */
public final class RawHttp {

    /** An answer as read: its status, its Content-Type ("" when none) and its body. */
    public record Answer(int status, String contentType, String body) {}

    private RawHttp() {}

    public static Answer get(String uri, Map<String, String> headers) throws Exception {
        return send("GET", uri, headers, null);
    }

    /** Sends a request as given; a body (UTF-8) goes with its Content-Length. */
    public static Answer send(String method, String uri, Map<String, String> headers, String body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder request =
                    new StringBuilder(method).append(' ').append(uri).append(" HTTP/1.1\r\nHost: localhost\r\n");
            headers.forEach((name, value) ->
                    request.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) {
                request.append("Content-Length: ").append(content.length).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.split(" ", 3)[1]);
            int bodyAt = response.indexOf("\r\n\r\n");
            String contentType = "";
            for (String line : response.substring(0, Math.max(0, bodyAt)).split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                    contentType = line.substring("content-type:".length()).trim();
                }
            }
            return new Answer(status, contentType, bodyAt < 0 ? "" : response.substring(bodyAt + 4));
        }
    }
}
