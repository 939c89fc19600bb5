// The former name still compiles in a DOM project when imported explicitly (it is a deprecated
// alias of `AlipayNotification`): existing code keeps building.
import { parseNotification, type AlipayNotification, type Notification } from "alipay-notify";

const old: Notification = parseNotification("a=1");
const current: AlipayNotification = old;
const back: Notification = current;
void back;
