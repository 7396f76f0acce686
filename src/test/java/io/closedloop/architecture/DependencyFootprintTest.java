package io.closedloop.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What camel-salesforce would pull in for APIs the daemon never calls stays out of the classpath and the image. */
class DependencyFootprintTest {
    @ParameterizedTest(name = "{0} is not on the classpath")
    @ValueSource(strings = {
            "io.grpc.ManagedChannel",                        // Pub/Sub API transport
            "io.grpc.netty.NettyChannelBuilder",
            "io.grpc.stub.StreamObserver",
            "tech.allegro.schema.json2avro.converter.JsonAvroConverter",
            "org.cometd.client.BayeuxClient"})               // Streaming API client
    void unusedSalesforceApisAreLeftOut(String className) {
        assertThat(present(className)).isFalse();
    }

    @ParameterizedTest(name = "{0} is still on the classpath")
    @ValueSource(strings = {
            "org.apache.avro.specific.SpecificRecord",       // the component scans for event classes when it starts
            "com.google.protobuf.ProtocolMessageEnum",       // the endpoint configuration holds a Pub/Sub replay preset
            "org.apache.camel.component.salesforce.SalesforceComponent"})
    void whatTheComponentLoadsAtStartStays(String className) {
        assertThat(present(className)).isTrue();
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, DependencyFootprintTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
