package org.blohub.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.blohub.api.LoginThrottledException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.security.web.WebAttributes;

/**
 * The console's login page. After a failed login it says why in the words a user can act on: "invalid credentials",
 * or, when the login throttle refused the attempt, "too many failed attempts, try again in N minutes".
 */
@Controller
public class LoginPage {

    static final String INVALID = "Invalid credentials";

    @GetMapping("/login")
    String login(HttpServletRequest request, @RequestParam(required = false) String error,
                 @RequestParam(required = false) String logout, Model model) {
        if (error != null) {
            HttpSession session = request.getSession(false);
            Object failure = session == null ? null : session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
            model.addAttribute("error", failure instanceof LoginThrottledException t ? t.getMessage() : INVALID);
        }
        model.addAttribute("loggedOut", logout != null);
        return "console/login";
    }
}
