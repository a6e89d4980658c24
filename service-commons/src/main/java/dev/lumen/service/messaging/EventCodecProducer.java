package dev.lumen.service.messaging;

import dev.lumen.contracts.EventCodec;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the contracts' schema-validating codec injectable; one instance per application. */
public class EventCodecProducer {

    @Produces
    @Singleton
    EventCodec eventCodec() {
        return new EventCodec();
    }
}
