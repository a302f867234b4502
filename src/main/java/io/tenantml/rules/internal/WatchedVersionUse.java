package io.tenantml.rules.internal;

import io.tenantml.registry.ModelVersionUse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * A watch in progress may move production back to the version before the one it watches: that version's file must
 * still load when it does.
 */
@ApplicationScoped
public class WatchedVersionUse implements ModelVersionUse {

    @Inject
    WatchStore watches;

    @Override
    public List<String> usesOf(String model, int version) {
        return watches.active(model, false)
                .filter(w -> w.previousVersion() == version)
                .map(w -> List.of("the rollback watch of version " + w.version() + " (alias " + w.alias()
                        + ") may move back to it"))
                .orElse(List.of());
    }
}
