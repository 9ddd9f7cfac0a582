package org.blohub.routing;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The channels that are on, checked against agencies.yaml when the hub starts ({@link ChannelSwitches}). */
@Configuration(proxyBeanMethods = false)
public class ChannelsConfiguration {

    @Bean
    ChannelSwitches channelSwitches(Environment env, Router router) {
        ChannelSwitches switches = ChannelSwitches.from(env);
        switches.check(router.agencies());
        return switches;
    }
}
