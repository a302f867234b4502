package io.tenantml.tenancy;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.Map;

/**
 * The answer to onboarding: the tenant, its first admin API key (shown once, never stored in clear), and
 * whatever the provisioners returned (for example Keycloak integration credentials), flattened beside.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OnboardedTenant(
        @JsonUnwrapped Tenant tenant,
        String adminApiKey,
        @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> provisioned) {

    /**
     * The member under which a provisioner returns the first admin key (security's does); the answer carries
     * it as {@link #adminApiKey()}.
     */
    public static final String ADMIN_API_KEY = "adminApiKey";

    @JsonAnyGetter
    public Map<String, Object> provisionedMembers() {
        return provisioned;
    }
}
