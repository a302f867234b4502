package io.tenantml.audit.internal;

import jakarta.enterprise.context.RequestScoped;
import java.util.UUID;
import java.util.regex.Pattern;

/** The request's id and whether code of the request already recorded what it did. */
@RequestScoped
public class AuditRequest {

    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private String requestId;
    private boolean recorded;

    /** Keeps a client's {@code X-Request-Id} when it is a plain token; otherwise one is made when first needed. */
    public void begin(String clientRequestId) {
        if (clientRequestId != null && CLIENT_ID.matcher(clientRequestId).matches()) {
            requestId = clientRequestId;
        }
    }

    /** Whether the request has an id already (the client's, or one handed out). */
    public boolean hasId() {
        return requestId != null;
    }

    /** The request's id; background work (no HTTP request) gets one per unit of work. */
    public String requestId() {
        if (requestId == null) {
            requestId = UUID.randomUUID().toString();
        }
        return requestId;
    }

    public void markRecorded() {
        recorded = true;
    }

    public boolean recorded() {
        return recorded;
    }
}
