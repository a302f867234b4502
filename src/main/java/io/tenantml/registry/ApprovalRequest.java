package io.tenantml.registry;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /models/{m}/versions/{v}/approval}: why a person accepts what the gate rejected. */
public record ApprovalRequest(@NotBlank @Size(max = 400) String reason) {}
