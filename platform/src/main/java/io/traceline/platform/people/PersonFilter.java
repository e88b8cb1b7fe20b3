package io.traceline.platform.people;

import java.util.UUID;

/**
 * What the people list may be narrowed to; null matches everything. {@code jobRoleId}: people holding the role (now or
 * from a later date); {@code text}: contained in the employee number or the name, case-insensitive; {@code programId}:
 * members of the program (now or from a later date).
 */
public record PersonFilter(String status, UUID siteId, UUID departmentId, UUID jobRoleId, UUID managerId,
                           Boolean contractor, String text, UUID programId) {
}
