// Docker's bridge driver options that Strata honours: the host bridge's name
// and its MTU (netavark's "mtu"). Apart, so what reads them loads little.

export const bridgeNameOption = 'com.docker.network.bridge.name';
export const mtuOption = 'com.docker.network.driver.mtu';
