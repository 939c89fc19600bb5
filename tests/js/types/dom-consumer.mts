// A browser project's view (`lib: ["dom"]`): the package's notification type sits beside the DOM's
// global `Notification` (Web Notifications API) without shadowing it.
import { verifyNotification, type AlipayNotification } from "alipay-notify";

const n: AlipayNotification = verifyNotification("a=1", "key");
if (n.kind === "servicemarket_order_notify") {
  const order: string | null = n.commodityOrderId;
  void order;
}
// The DOM's Notification is still the global class, not the package's type.
const permission: NotificationPermission = Notification.permission;
const shown: Notification = new Notification("order", { body: n.kind });
// @ts-expect-error the DOM's Notification is not a notification of Alipay's
const wrong: AlipayNotification = shown;
void permission;
void wrong;
