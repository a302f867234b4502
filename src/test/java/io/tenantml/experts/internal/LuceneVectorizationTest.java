package io.tenantml.experts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.Test;

/**
 * The JVM flags (the pom's {@code tenantml.jvm.flags}, which tml and the scripts run the platform with) let Lucene use
 * its SIMD vector code on our JDK. Without {@code org.apache.lucene.vectorization.upperJavaFeatureVersion}, Lucene
 * 9.12 fell back to scalar code on JDK 25 and every kNN search and similarity ran slower, with one warning at start.
 */
class LuceneVectorizationTest {

    @Test
    void shouldRunLuceneVectorCodeWithTheSimdImplementation() throws Exception {
        // internal to Lucene: its provider may only be asked by Lucene, so the choice is read where it is kept
        Field impl = VectorUtil.class.getDeclaredField("IMPL");
        impl.setAccessible(true);
        assertThat(impl.get(null).getClass().getSimpleName())
                .as("Lucene's vector implementation with the pom's JVM flags on Java %s", Runtime.version())
                .isEqualTo("PanamaVectorUtilSupport");
    }
}
