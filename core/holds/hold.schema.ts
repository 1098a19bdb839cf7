/** A student's hold on a slot while they confirm: nobody else can book it until `expiresAt`. */
export interface Hold {
  slotId: string;
  expiresAt: Date;
}
