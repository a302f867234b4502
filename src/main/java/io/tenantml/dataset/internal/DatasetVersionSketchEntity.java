package io.tenantml.dataset.internal;

import io.tenantml.tenancy.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/**
 * The column sketches of a version ({@link io.tenantml.statistics.TableSketch#toBytes()}), in a table of their
 * own so that reading versions never loads them; never updated after insert.
 */
@Entity
@Table(name = "dataset_version_sketch")
public class DatasetVersionSketchEntity extends TenantOwnedEntity {

    @Id
    @Column(updatable = false)
    public UUID versionId;

    @Column(nullable = false, updatable = false)
    public byte[] sketches;
}
