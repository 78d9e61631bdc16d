/** raw → µV for one channel: µV = (raw − baseline) × microvoltsPerUnit (HL7 CCP baseline is in raw units). */
export interface ChannelScale {
  baseline: number;
  microvoltsPerUnit: number;
}
